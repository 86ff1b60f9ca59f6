export type Actor = { id: string; role: string };

export type EventMetadata = {
  eventId: string;
  occurredAt: string;
  actor: Actor;
  correlationId: string;
  causationId: string | null;
  schemaVersion: number;
  /** who did it in another system, when a bulk import replays its history (the actor imported it) */
  onBehalfOf?: Actor;
};

// The shape of every stored event; a domain's event union (e.g. LeadEvent) narrows it.
export type StoredEvent = { type: string; data: Record<string, unknown> };

// What a caller appends: the domain event plus its metadata. The store adds the rest.
export type NewEvent = StoredEvent & { metadata: EventMetadata };

// What the store returns: E's `type` and `data` plus what the store knows. `position` is the
// global position in `$all` (a bigint because EventStoreDB commit positions exceed 2^53;
// serialised as a decimal string in JSON); `revision` is the 0-based position in its stream.
export type RecordedEvent<E extends StoredEvent = StoredEvent> = E & {
  streamId: string;
  revision: number;
  position: bigint;
  metadata: EventMetadata & { recordedAt: string; prevHash: string; hash: string };
  /**
   * The data exactly as stored, present only when a decorating store read personal fields
   * (decrypted, erased, or kept sealed). The audit chain covers the stored form.
   */
  storedData?: Record<string, unknown>;
};

// 'no_stream': the stream must not exist; 'stream_exists': it must; 'any': no check;
// a number: the stream's current revision must be exactly that.
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | number;

export type AppendResult = { nextRevision: number; position: bigint };

/** Where an event is stored. */
export type EventLocation = { streamId: string; revision: number; position: bigint };

export type ReadStreamOptions = {
  /** inclusive: the events from this revision on; omitted = from the start */
  fromRevision?: number;
};

export type ReadAllOptions = {
  /** exclusive: events strictly after this position; omitted = from the start */
  after?: bigint;
  /** only streams whose id starts with this prefix */
  streamPrefix?: string;
  limit?: number;
  /**
   * For a store that encrypts personal fields: 'sealed' hands them out as stored (ciphertext, null
   * once erased) without decrypting, for readers that keep ciphertext only; default 'revealed'.
   */
  personalData?: 'revealed' | 'sealed';
};

export type SubscribeOptions = Omit<ReadAllOptions, 'limit'> & {
  /** called with each batch in order; the subscription waits for the promise before the next */
  onEvents: (events: RecordedEvent[]) => Promise<void> | void;
  /** a handler failure or a lost connection that cannot be recovered */
  onError?: (error: unknown) => void;
};

export type Subscription = {
  /** resolves once the backlog that existed at subscribe time has been delivered */
  readonly caughtUp: Promise<void>;
  close(): Promise<void>;
};

export class RevisionConflict extends Error {
  readonly code = 'revision_conflict';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'RevisionConflict';
  }
}

// The port (abstract class = Nest DI token). Every adapter runs the same contract suite.
export abstract class EventStore {
  /**
   * Appends atomically. Event ids are unique store-wide: re-appending events whose ids are
   * already stored (a retry) appends nothing and returns the original result.
   */
  abstract append(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult>;
  /**
   * A missing stream is an empty array. `E` is the caller's word for what the stream holds
   * (lead streams hold LeadEvents only: DESIGN §3); the store does not check it. With
   * `fromRevision`, only the tail from there (a reader that folded the head reads the rest).
   */
  abstract readStream<E extends StoredEvent = StoredEvent>(
    streamId: string,
    options?: ReadStreamOptions,
  ): Promise<RecordedEvent<E>[]>;
  /** `E` as for readStream: what the streams the options select hold */
  abstract readAll<E extends StoredEvent = StoredEvent>(
    options?: ReadAllOptions,
  ): Promise<RecordedEvent<E>[]>;
  /**
   * Where the event with this id is stored (null: nowhere), from the store's index of event ids;
   * 'unindexed' when the store keeps no such index, so the caller reads the stream instead.
   */
  locateEvent(_eventId: string): Promise<EventLocation | null | 'unindexed'> {
    return Promise.resolve('unindexed');
  }
  /** position of the last event in `$all`, 0n when empty */
  abstract headPosition(): Promise<bigint>;
  /** catch-up subscription: the backlog after `after`, then live events as they are appended */
  abstract subscribe(options: SubscribeOptions): Subscription;
  abstract close(): Promise<void>;
}
