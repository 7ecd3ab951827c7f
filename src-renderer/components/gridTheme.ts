import { AllCommunityModule, ModuleRegistry, themeQuartz } from 'ag-grid-community';

ModuleRegistry.registerModules([AllCommunityModule]);

/**
 * The desk look of the app's read-only grids (ag-grid 36, all community modules registered here): small
 * type, tight rows, the app's accent colour. Grids import this instead of defining their own theme.
 */
export const deskGridTheme = themeQuartz.withParams({
  fontFamily: 'inherit',
  fontSize: 12,
  headerFontSize: 12,
  spacing: 5,
  rowHeight: 28,
  headerHeight: 30,
  accentColor: '#1f5fbf',
  borderColor: '#d5dae3',
  headerBackgroundColor: '#f1f3f7',
  foregroundColor: '#1d2330',
  selectedRowBackgroundColor: '#e3ecfa',
  wrapperBorderRadius: 0,
  browserColorScheme: 'light',
});

/** The desk look with tighter spacing and shorter rows, for dense lists (the order-book data sets and stocks). */
export const compactGridTheme = deskGridTheme.withParams({ spacing: 4, rowHeight: 26, headerHeight: 28 });
