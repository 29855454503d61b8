/** Everything the store throws on purpose is a StoreError; callers branch on the subclass. */
export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** A conditional write found the item in another state than required (a race or a replay). */
export class ConditionFailedError extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConditionFailedError';
  }
}

/** The backfill a worker was running was changed under it (a seed added with an earlier block). */
export class BackfillChangedError extends ConditionFailedError {
  constructor(caseId: string, chain: string, options?: { cause?: unknown }) {
    super(`the backfill of case ${caseId} on ${chain} changed while it ran: reload it`, options);
    this.name = 'BackfillChangedError';
  }
}

/** Another ingester moved the chain's checkpoint first: this one must stop (invariant 2). */
export class CheckpointConflictError extends ConditionFailedError {
  readonly chain: string;
  readonly expectedBlock: number | null;

  constructor(chain: string, expectedBlock: number | null, options?: { cause?: unknown }) {
    super(
      `checkpoint of ${chain} is no longer at ${expectedBlock ?? 'none'}: another ingester moved it`,
      options,
    );
    this.name = 'CheckpointConflictError';
    this.chain = chain;
    this.expectedBlock = expectedBlock;
  }
}

export class CaseExistsError extends ConditionFailedError {
  readonly caseId: string;

  constructor(caseId: string, options?: { cause?: unknown }) {
    super(`case ${caseId} already exists`, options);
    this.name = 'CaseExistsError';
    this.caseId = caseId;
  }
}

export class CaseNotFoundError extends StoreError {
  readonly caseId: string;

  constructor(caseId: string, options?: { cause?: unknown }) {
    super(`case ${caseId} does not exist`, options);
    this.name = 'CaseNotFoundError';
    this.caseId = caseId;
  }
}

export class SeedExistsError extends ConditionFailedError {
  constructor(caseId: string, chain: string, address: string, options?: { cause?: unknown }) {
    super(`seed ${address} on ${chain} is already in case ${caseId}`, options);
    this.name = 'SeedExistsError';
  }
}

export class SeedNotFoundError extends StoreError {
  constructor(caseId: string, chain: string, address: string, options?: { cause?: unknown }) {
    super(`seed ${address} on ${chain} is not in case ${caseId}`, options);
    this.name = 'SeedNotFoundError';
  }
}

export class AlertNotFoundError extends StoreError {
  readonly alertId: string;

  constructor(alertId: string, options?: { cause?: unknown }) {
    super(`alert ${alertId} does not exist`, options);
    this.name = 'AlertNotFoundError';
    this.alertId = alertId;
  }
}

/** The ingester tried to save a wallet it did not load in the range session (its base is unknown). */
export class WalletNotLoadedError extends StoreError {
  constructor(caseId: string, chain: string, address: string) {
    super(
      `wallet ${address} of case ${caseId} on ${chain} was saved without being loaded in this range: load it first, so a replay of the range knows what it started from`,
    );
    this.name = 'WalletNotLoadedError';
  }
}

/** A cursor that is not one this list handed out (tampered, from another list or another case). */
export class InvalidCursorError extends StoreError {
  constructor(reason: string) {
    super(`invalid cursor: ${reason}`);
    this.name = 'InvalidCursorError';
  }
}

/** A key part (case id, chain, address...) that cannot be stored safely, or a bad option. */
export class InvalidStoreInputError extends StoreError {
  readonly field: string;

  constructor(field: string, reason: string) {
    super(`${field}: ${reason}`);
    this.name = 'InvalidStoreInputError';
    this.field = field;
  }
}

/** DynamoDB could not be reached or kept refusing (throttling after retries, 5xx, network). Retry later. */
export class StoreUnavailableError extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** An item in the table does not have the shape this code writes: data corruption or a schema drift. */
export class CorruptItemError extends StoreError {
  constructor(what: string, reason: string) {
    super(`stored ${what} is malformed: ${reason}`);
    this.name = 'CorruptItemError';
  }
}
