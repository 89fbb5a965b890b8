// SPDX-License-Identifier: MIT
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer';

/** Flags for Debian's chromium as root, offline, without a GPU (see testbed-facts). */
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-component-update',
  '--no-first-run',
  '--disable-background-networking',
];

/** Prints an HTML file (inline SVG figures) to a vector PDF with Debian's chromium. */
export async function htmlToPdf(htmlFile: string, pdfFile: string): Promise<void> {
  const browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs, headless: true });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' });
    await page.pdf({
      path: pdfFile,
      format: 'A4',
      landscape: true,
      printBackground: true,
      margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' },
    });
  } finally {
    await browser.close();
  }
  const header = (await readFile(pdfFile)).subarray(0, 5).toString();
  if (header !== '%PDF-') throw new Error(`${pdfFile} is not a PDF (chromium wrote '${header}')`);
}
