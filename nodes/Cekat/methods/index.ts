export * as listSearch from './listSearch';
export { getColumnLabels, getColumns, getColumnNames } from './columns';
