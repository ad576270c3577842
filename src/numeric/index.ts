export * from './Field.js';
export * from './float64.js';
export * from './decimal.js';
export * from './rational.js';
export * from './logdomain.js';
export * from './linalg.js';
