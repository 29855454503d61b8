/** Everything the ingester throws on purpose; the handler reports these and stops the invocation. */
export class IngestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Processed blocks are supposed to be final. When the next block does not build on the checkpoint,
 * the chain reorganized deeper than the configured finality: nothing is advanced, an operator decides.
 */
export class DeepReorgError extends IngestError {
  constructor(chain: string, block: number, storedHash: string, parentHash: string) {
    super(
      `${chain}: block ${block + 1} does not build on processed block ${block} (stored hash ${storedHash}, parent hash ${parentHash}): a reorg deeper than the confirmation depth; raise the depth or use the 'finalized' tag`,
    );
  }
}

/** The node's confirmed head is behind the checkpoint: a reset development chain, or the wrong RPC. */
export class ChainWentBackwardsError extends IngestError {
  constructor(chain: string, checkpoint: number, head: number) {
    super(
      `${chain}: the node's confirmed head ${head} is behind the checkpoint ${checkpoint}; is the RPC URL the right chain, or was a development chain restarted?`,
    );
  }
}
