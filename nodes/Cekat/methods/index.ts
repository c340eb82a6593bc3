export * as listSearch from './listSearch';
export { getColumns, getColumnNames } from './columns';
