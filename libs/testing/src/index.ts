/** Test support shared by several projects' tests (see README.md). Never imported by production code. */
export * from './fixture-stack.js';
export * from './processes.js';
export * from './pty.js';
export * from './temp-dirs.js';
export * from './workspace.js';
