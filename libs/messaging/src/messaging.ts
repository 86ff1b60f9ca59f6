export * from './event-publisher.port';
export * from './cloud-events';
export * from './kafka-event-publisher';
export * from './event-relay';
export * from './messaging-log';
