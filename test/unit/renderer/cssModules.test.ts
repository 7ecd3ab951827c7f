import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { ROOT } from '../../helpers/paths';

/**
 * The renderer's CSS modules against the components that use them. A class a component reads as
 * `styles.x` that its module does not define renders as `class="undefined"` with no error, and a rule no
 * component reads is dead weight; both are caught here by reading the sources. Module keys are the camelCase
 * form of the class (`css.modules.localsConvention: 'camelCaseOnly'` in electron.vite.config.ts).
 * Also: every plain class name a component writes as a string (`className="panel muted"`, `cx('small', ...)`)
 * is defined by a global sheet (styles/*.css), so no className points at a rule that moved into a module.
 */

const RENDERER = join(ROOT, 'src-renderer');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const stripComments = (css: string): string => css.replace(/\/\*[\s\S]*?\*\//g, '');
const camel = (c: string): string => c.split(/[-_]+/).map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join('');
/** Selectors only (the text before each `{`), so values such as `0.55` are not read as classes. */
const selectors = (css: string): string => [...stripComments(css).matchAll(/([^{}]+)\{[^{}]*\}/g)].map((m) => m[1]).join('\n');

/** Local classes of a module: every `.x` in a selector outside `:global(...)`. */
function moduleClasses(css: string): Set<string> {
  const sel = selectors(css).replace(/:global\([^)]*\)/g, ' ');
  return new Set([...sel.matchAll(/\.([A-Za-z][\w-]*)/g)].map((m) => camel(m[1])));
}

const files = walk(RENDERER);
const modules = files.filter((f) => f.endsWith('.module.css'));
const sources = files.filter((f) => /\.tsx?$/.test(f));
const globalSheets = files.filter((f) => f.endsWith('.css') && !f.endsWith('.module.css'));
/** Classes a global sheet defines, and global classes a module styles in context (`.x :global(.compare)`). */
const globalClasses = new Set([
  ...globalSheets.flatMap((f) => [...selectors(readFileSync(f, 'utf8')).matchAll(/\.([A-Za-z][\w-]*)/g)].map((m) => m[1])),
  ...modules.flatMap((f) => [...selectors(readFileSync(f, 'utf8')).matchAll(/:global\(\.([A-Za-z][\w-]*)\)/g)].map((m) => m[1])),
]);

/** Which module each source imports as `styles`, and the keys it reads from it. */
function usesOf(src: string): { module: string; keys: string[] } | null {
  const text = readFileSync(src, 'utf8');
  const imp = /import styles from '([^']+\.module\.css)';/.exec(text);
  if (!imp) return null;
  const keys = [...text.matchAll(/\bstyles\.([A-Za-z_$][\w$]*)/g)].map((m) => m[1]);
  return { module: resolve(dirname(src), imp[1]), keys };
}

/**
 * The class names a component writes as plain strings: string literals in a `className={...}` attribute or a
 * `cx(...)` call, in class position (the whole value, a ternary branch, the right of `&&`, an argument of cx),
 * so `tab === 'run' && styles.active` yields nothing and `cond ? 'a b' : 'c'` yields a, b, c.
 */
function plainClassNames(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const out: string[] = [];
  const classPosition = (e: ts.Expression): void => {
    if (ts.isStringLiteralLike(e)) out.push(...e.text.split(/\s+/).filter(Boolean));
    else if (ts.isParenthesizedExpression(e)) classPosition(e.expression);
    else if (ts.isConditionalExpression(e)) [e.whenTrue, e.whenFalse].forEach(classPosition);
    else if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) classPosition(e.right);
    else if (ts.isCallExpression(e) && e.expression.getText(sf) === 'cx') e.arguments.forEach(classPosition);
    else if (ts.isTemplateExpression(e)) [e.head.text, ...e.templateSpans.map((s) => s.literal.text)].forEach((t) => out.push(...t.split(/\s+/).filter(Boolean)));
  };
  const visit = (n: ts.Node): void => {
    if (ts.isJsxAttribute(n) && n.name.getText(sf) === 'className' && n.initializer) {
      if (ts.isStringLiteral(n.initializer)) classPosition(n.initializer);
      else if (ts.isJsxExpression(n.initializer) && n.initializer.expression) classPosition(n.initializer.expression);
    } else if (ts.isCallExpression(n) && n.expression.getText(sf) === 'cx') classPosition(n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

describe('renderer CSS modules', () => {
  it('has modules, and no component reads `styles[...]` with a computed key (it could not be checked)', () => {
    expect(modules.length).toBeGreaterThan(0);
    for (const src of sources) expect(readFileSync(src, 'utf8'), relative(ROOT, src)).not.toMatch(/\bstyles\[/);
  });

  it('every styles.x a component reads is a class its module defines', () => {
    const missingByFile: Record<string, string[]> = {};
    for (const src of sources) {
      const use = usesOf(src);
      if (!use) continue;
      const defined = moduleClasses(readFileSync(use.module, 'utf8'));
      const missing = use.keys.filter((k) => !defined.has(k));
      if (missing.length) missingByFile[relative(ROOT, src)] = missing;
    }
    expect(missingByFile).toEqual({});
  });

  it('every class a module defines is read by some component', () => {
    const unusedByModule: Record<string, string[]> = {};
    for (const mod of modules) {
      const read = new Set(sources.flatMap((src) => (usesOf(src)?.module === mod ? usesOf(src)!.keys : [])));
      const unused = [...moduleClasses(readFileSync(mod, 'utf8'))].filter((k) => !read.has(k));
      if (unused.length) unusedByModule[relative(ROOT, mod)] = unused;
    }
    expect(unusedByModule).toEqual({});
  });


  it('every plain class name written in a component is defined by a global sheet', () => {
    const unknownByFile: Record<string, string[]> = {};
    for (const src of sources.filter((f) => f.endsWith('.tsx'))) {
      const unknown = plainClassNames(src).filter((n) => !globalClasses.has(n));
      if (unknown.length) unknownByFile[relative(ROOT, src)] = unknown;
    }
    expect(unknownByFile).toEqual({});
  });
});
