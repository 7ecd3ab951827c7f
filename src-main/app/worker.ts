import { serveJobWorker } from '../jobs/worker';
import { JOB_RUNNERS, PART_RUNNERS } from './jobRunners';

/** Entry script of a job worker thread (bundled as out/main/worker.js): the job loop with every domain's runners. */
serveJobWorker(JOB_RUNNERS, PART_RUNNERS);
