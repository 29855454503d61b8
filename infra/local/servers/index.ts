export { type EmbeddedServer, startDynamoDbServer } from './dynamodb-server.ts';
export { type Eip1193Provider, type EthereumNode, startEthereumNode } from './ethereum-node.ts';
export { LOOPBACK } from './listen.ts';
export { startSnsSqsServer } from './sns-sqs-server.ts';
