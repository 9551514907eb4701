/**
 * The day's report as downloads: CSV (sections of rows), XLSX (one sheet per section, exceljs)
 * and a one-page A4 PDF (pdfkit) with the hourly chart. Long lists are cut to what fits a page
 * in the PDF only; the CSV and XLSX carry every row.
 */
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import type { DailyReport } from '../domain/reports/reports.service.js';
import { csvLine } from '../lib/csv.js';

type Rows = Array<Array<string | number>>;

/** The report as titled sections of rows: the one layout CSV and XLSX both write. */
export function reportSections(r: DailyReport): Array<{ title: string; rows: Rows }> {
  return [
    {
      title: 'Summary',
      rows: [
        ['figure', 'value'],
        ['date', r.date],
        ['timezone', r.timezone],
        ['area', r.area ?? 'all'],
        ['parent scans', r.scans.parent],
        ['child scans', r.scans.child],
        ['refused scans', r.scans.refused],
        ['parents completed', r.parents.completed],
        ['parents completed short', r.parents.short],
        ['bills created', r.bills.created],
        ['bills completed', r.bills.completed],
        ['bills created that day, now new', r.bills.byStatus.new],
        ['bills created that day, now processing', r.bills.byStatus.processing],
        ['bills created that day, now completed', r.bills.byStatus.completed],
        ['return tickets', r.returns.tickets],
        ['returned bags', r.returns.bags],
      ],
    },
    { title: 'Child scans per hour', rows: [['hour', 'child scans'], ...r.hourly.map((c, h) => [`${String(h).padStart(2, '0')}:00`, c])] },
    { title: 'By area', rows: [['area', 'new parent bags', 'child scans'], ...r.byArea.map((a) => [a.area, a.parentBags, a.childScans])] },
    {
      title: 'By user',
      rows: [
        ['user', 'child scans', 'parent scans', 'refused'],
        ...r.byUser.map((u) => [u.username, u.childScans, u.parentScans, u.refused]),
      ],
    },
  ];
}

export async function dailyCsv(r: DailyReport): Promise<string> {
  return reportSections(r)
    .map((s) => csvLine([`# ${s.title}`]) + s.rows.map(csvLine).join(''))
    .join('\r\n');
}

export async function dailyXlsx(r: DailyReport): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'TraceTrack';
  for (const s of reportSections(r)) {
    const sheet = book.addWorksheet(s.title.slice(0, 31));
    // Names and codes stay text: a cell is a formula only when written as one, never here.
    sheet.addRows(s.rows);
    sheet.getRow(1).font = { bold: true };
    for (const [i, c] of sheet.columns.entries()) c.width = i === 0 ? 36 : 16;
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

const PDF_MAX_ROWS = 12;

/** One A4 page: the summary, the hourly chart and the top areas and users. */
export function dailyPdf(r: DailyReport, now: Date): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: `TraceTrack report ${r.date}`, CreationDate: now } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const left = 40;
  doc.font('Helvetica-Bold').fontSize(18).text(`TraceTrack — daily report ${r.date}`, left, 40);
  doc
    .font('Helvetica')
    .fontSize(10)
    .fillColor('#555')
    .text(`${r.area ? `Area ${r.area}` : 'All areas'} · times in ${r.timezone}`, left, 64);
  doc.fillColor('#000');

  const facts: Array<[string, number]> = [
    ['Parent scans', r.scans.parent],
    ['Child scans', r.scans.child],
    ['Refused', r.scans.refused],
    ['Parents completed', r.parents.completed],
    ['of them short', r.parents.short],
    ['Bills created', r.bills.created],
    ['Bills completed', r.bills.completed],
    ['Return tickets', r.returns.tickets],
    ['Returned bags', r.returns.bags],
  ];
  facts.forEach(([label, value], i) => {
    const x = left + (i % 5) * 103;
    const y = 90 + Math.floor(i / 5) * 42;
    doc.font('Helvetica').fontSize(8).fillColor('#555').text(label, x, y, { width: 100, lineBreak: false });
    doc
      .font('Helvetica-Bold')
      .fontSize(16)
      .fillColor('#000')
      .text(String(value), x, y + 11, { width: 100, lineBreak: false });
  });

  // Child scans per hour: 24 bars.
  const chart = { x: left + 24, y: 190, w: 490, h: 150 };
  doc.font('Helvetica-Bold').fontSize(11).text('Child scans per hour', left, 176);
  const max = Math.max(1, ...r.hourly);
  const bw = chart.w / 24;
  r.hourly.forEach((c, h) => {
    const bh = (c / max) * (chart.h - 14);
    if (bh > 0) doc.rect(chart.x + h * bw + 2, chart.y + chart.h - bh, bw - 4, bh).fill('#2f6fb0');
    doc
      .fillColor('#555')
      .font('Helvetica')
      .fontSize(7)
      .text(String(h).padStart(2, '0'), chart.x + h * bw, chart.y + chart.h + 3, { width: bw, align: 'center', lineBreak: false });
  });
  doc
    .moveTo(chart.x, chart.y + chart.h)
    .lineTo(chart.x + chart.w, chart.y + chart.h)
    .strokeColor('#999')
    .stroke();
  doc
    .fillColor('#555')
    .fontSize(7)
    .text(String(max), left, chart.y + 10, { width: 20, align: 'right', lineBreak: false });
  doc.fillColor('#000');

  const table = (title: string, head: string[], rows: Rows, x: number, y: number, widths: number[]) => {
    doc.font('Helvetica-Bold').fontSize(11).text(title, x, y, { lineBreak: false });
    let yy = y + 18;
    const line = (cells: Array<string | number>, bold: boolean) => {
      let xx = x;
      cells.forEach((c, i) => {
        doc
          .font(bold ? 'Helvetica-Bold' : 'Helvetica')
          .fontSize(9)
          .text(String(c), xx, yy, { width: widths[i]! - 4, align: i === 0 ? 'left' : 'right', lineBreak: false, ellipsis: true });
        xx += widths[i]!;
      });
      yy += 14;
    };
    line(head, true);
    for (const row of rows.slice(0, PDF_MAX_ROWS)) line(row, false);
    if (rows.length > PDF_MAX_ROWS) line([`… ${rows.length - PDF_MAX_ROWS} more (see the CSV)`], false);
  };
  const areas = [...r.byArea].sort((a, b) => b.childScans - a.childScans || b.parentBags - a.parentBags);
  table(
    'By area',
    ['Area', 'New parents', 'Child scans'],
    areas.map((a) => [a.area, a.parentBags, a.childScans]),
    left,
    370,
    [110, 70, 70],
  );
  table(
    'By user',
    ['User', 'Child', 'Parent', 'Refused'],
    r.byUser.map((u) => [u.username, u.childScans, u.parentScans, u.refused]),
    left + 270,
    370,
    [110, 50, 50, 50],
  );
  const b = r.bills.byStatus;
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor('#000')
    .text(`Bills created this day by status now: new ${b.new} · processing ${b.processing} · completed ${b.completed}`, left, 610, {
      lineBreak: false,
    });
  doc
    .fontSize(7)
    .fillColor('#777')
    .text(`Generated ${now.toISOString()} · figures counted from the history`, left, 780, { lineBreak: false });
  doc.end();
  return done;
}
