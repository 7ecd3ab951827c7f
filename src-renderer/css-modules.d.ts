/**
 * CSS modules (`*.module.css`, built by Vite): the default export maps each class of the file, in camelCase
 * (`.rb-mode` -> `styles.rbMode`, see `css.modules.localsConvention` in electron.vite.config.ts), to its scoped
 * name. test/unit/renderer/cssModules.test.ts checks that every `styles.x` a component reads is defined.
 */
declare module '*.module.css' {
  const classes: Readonly<Record<string, string>>;
  export default classes;
}
