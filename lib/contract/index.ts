export * from './common';
export * from './cluster';
export * from './topics';
export * from './groups';
export * from './topology';
export * from './realtime';
export * from './alerts';
export * from './messages';
