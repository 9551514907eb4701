/**
 * The printable A4 sheet of command barcodes (SPEC §9): one QR code per command, big enough
 * to scan from a clipboard, with the word under it and what it does. Images are data: URIs
 * (allowed by the CSP's img-src).
 */
import { html } from '../../../lib/html.js';
import { layout, type PageFrame } from './layout.view.js';

export interface CommandCard {
  word: string;
  does: string;
  image: string;
}

export function scanCommandsView(frame: PageFrame, cards: CommandCard[]) {
  return layout(
    frame,
    html`<section class="command-sheet">
  <h1>Scan station commands</h1>
  <p class="no-print">Print this page (A4) and keep it by the station: scanning a code does what its button does. <button type="button" data-print>Print</button> <a href="/scan">Back to the station</a></p>
  <ul class="command-cards">
    ${cards.map((c) => html`<li class="command-card"><img src="${c.image}" alt="Barcode ${c.word}" width="200" height="200"><strong class="code">${c.word}</strong><span>${c.does}</span></li>`)}
  </ul>
</section>`,
  );
}
