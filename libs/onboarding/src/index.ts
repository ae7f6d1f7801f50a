export * from './onboard.js';
export * from './prompt.js';
export * from './questions.js';
export * from './examples.js';
