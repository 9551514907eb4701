/**
 * What the scan station (/scan) and the bill station tell the worker about answers: a flash and
 * a tone each, except for answers applied quietly (scans sent after waiting offline, long ago, or
 * from another tab), which are counted and summed up in one flash once the outbox is empty,
 * instead of twenty beeps in a row. The refusals among them are kept for that summary.
 */
import { isGood, OUTCOMES, type OutcomeKey } from './outcomes.js';
import type { Flash } from './shell.js';
import { play } from './sounds.js';

export class Feedback {
  /** Answers applied quietly since the last summary. */
  private replayed = 0;
  private refused: string[] = [];

  /** `stored` is the summary's outcome when none of the quiet answers was a refusal. */
  constructor(
    private readonly view: Flash,
    private readonly stored: OutcomeKey,
  ) {}

  /** An answer is applied quietly: the next summary counts it. */
  countQuiet(): void {
    this.replayed += 1;
  }

  /** Flash and tone, unless the answer is quiet: then a refusal is kept for the summary. */
  say(key: OutcomeKey, detail: string, quiet: boolean): void {
    const outcome = OUTCOMES[key];
    if (quiet) {
      if (!isGood(key)) this.refused.push(`${outcome.title}: ${detail}`);
      return;
    }
    this.view.flash(outcome, detail);
    play(outcome.notes);
  }

  /** The tone without the flash, unless the answer is quiet (a good answer: nothing to keep). */
  tone(key: OutcomeKey, quiet: boolean): void {
    if (!quiet) play(OUTCOMES[key].notes);
  }

  /** One flash for the quiet answers (the outbox is empty): how many were sent, or the first refusal. */
  summarise(): void {
    if (this.replayed === 0) return;
    const [sent, refused] = [this.replayed, this.refused];
    this.replayed = 0;
    this.refused = [];
    const key: OutcomeKey = refused.length ? 'failed' : this.stored;
    this.view.flash(
      OUTCOMES[key],
      refused[0] ?? 'Every saved scan is now stored',
      refused.length ? `${refused.length} of ${sent} saved scans refused` : `${sent} sent`,
    );
    play(OUTCOMES[key].notes);
  }
}
