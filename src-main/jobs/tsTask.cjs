// A pool task module written in TypeScript, loaded through tsx's require hook (tests and the CLI run from
// source; Node 20 does not apply loader hooks to a worker's entry file). The bundle needs no such step.
require('tsx/cjs');
const m = require(require('piscina').workerData.taskFile);
module.exports = m.default ?? m;
