export * from './cursor.ts';
export { DynamoDbStore, type DynamoDbStoreOptions } from './dynamodb-store.ts';
export * from './errors.ts';
export * from './metrics.ts';
export * from './repository.ts';
export { createTable, INDEX_NAME, TABLE_KEYS } from './table.ts';
export { WalletAheadOfRangeError } from './wallet-range-session.ts';
