/**
 * Command barcodes (SPEC §9), printed on the sheet at /scan/commands: scanned, each does
 * exactly what its button does, so nobody needs to touch the screen. The words are matched
 * after normalisation (`put  aside` → `PUT ASIDE`); bag codes may not be these words.
 */
export const COMMANDS = ['FINISH', 'UNDO', 'PUT ASIDE', 'CONFIRM', 'CANCEL'] as const;
export type Command = (typeof COMMANDS)[number];

export function commandOf(raw: string): Command | undefined {
  const word = raw.replace(/\s+/g, ' ').trim().toUpperCase();
  return (COMMANDS as readonly string[]).includes(word) ? (word as Command) : undefined;
}

/** CONFIRM / CANCEL answer an open yes/no dialog (its buttons have value "ok" / "cancel"). */
export function answerDialog(raw: string, dialog: HTMLDialogElement): boolean {
  const command = commandOf(raw);
  if (command !== 'CONFIRM' && command !== 'CANCEL') return false;
  if (!dialog.querySelector('button[value="ok"]')) return false;
  dialog.close(command === 'CONFIRM' ? 'ok' : 'cancel');
  return true;
}
