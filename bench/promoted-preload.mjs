/**
 * Preloaded into the server by bench/promoted.ts (`node --import`). On the first SIGUSR2 it starts
 * V8's sampling heap profiler keeping only what outlives the young generation (objects kept, or
 * freed by a full collection, never those a scavenge frees) and starts counting collections; on
 * the second it writes both to $PROMOTED_OUT.
 */
import fs from 'node:fs';
import inspector from 'node:inspector';
import { PerformanceObserver, constants } from 'node:perf_hooks';

const session = new inspector.Session();
const gcs = { minor: [], major: [] };
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) gcs.minor.push(e.duration);
    else if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) gcs.major.push(e.duration);
  }
});
let started = false;
process.on('SIGUSR2', () => {
  if (!started) {
    started = true;
    session.connect();
    session.post('HeapProfiler.enable');
    session.post('HeapProfiler.startSampling', {
      samplingInterval: 16384,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: false,
    });
    observer.observe({ entryTypes: ['gc'] });
    return;
  }
  session.post('HeapProfiler.getSamplingProfile', (err, r) => {
    observer.disconnect();
    // Written aside and renamed: the reader takes the file as soon as it appears.
    fs.writeFileSync(`${process.env.PROMOTED_OUT}.part`, JSON.stringify(err ? { error: String(err) } : { profile: r.profile, gcs }));
    fs.renameSync(`${process.env.PROMOTED_OUT}.part`, process.env.PROMOTED_OUT);
  });
});
