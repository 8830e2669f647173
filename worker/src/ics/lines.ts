/**
 * Content lines and components of an iCalendar text, read tolerantly: CRLF, LF or CR line ends, folds
 * with a space or a TAB, blank lines between components, unknown properties, missing END lines.
 */

export interface ContentLine {
  /** Upper-cased property name. */
  name: string;
  /** Upper-cased parameter names; values with surrounding quotes removed. */
  params: Record<string, string>;
  value: string;
  /** 1-based line number of the (first physical) line, for messages. */
  lineNo: number;
  /** The unfolded line as written. */
  raw: string;
}

export interface Component {
  name: string;
  properties: ContentLine[];
  children: Component[];
  lineNo: number;
  /** Set when the END line was missing (file cut off) or mismatched. */
  unterminated?: boolean;
  /** Properties by name, built by the first lookup (prop/props). */
  index?: { size: number; byName: Map<string, ContentLine[]> };
}

export interface UnfoldedLine {
  text: string;
  lineNo: number;
}

/** Physical lines of a text (CRLF, LF or CR ends), including the empty line after a final line end. */
function* physicalLines(text: string): Generator<string> {
  let pos = 0;
  const n = text.length;
  while (pos <= n) {
    let end = pos;
    while (end < n) {
      const c = text.charCodeAt(end);
      if (c === 0x0a || c === 0x0d) break;
      end++;
    }
    yield text.slice(pos, end);
    pos = text.charCodeAt(end) === 0x0d && text.charCodeAt(end + 1) === 0x0a ? end + 2 : end + 1;
  }
}

/**
 * The same lines read from UTF-8 bytes, each decoded on its own. Line-end bytes never occur inside a
 * multi-byte sequence, so the text is the same as decoding the whole file first; but no string of the
 * whole feed exists, values are slices of their own short line (not of a multi-megabyte text they would
 * keep alive), and lines without characters above U+00FF are stored one byte per character even when
 * another line of the feed has some.
 */
function* physicalLinesOfUtf8(bytes: Uint8Array, start: number): Generator<string> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = start;
  const n = buf.length;
  // Next LF and CR at or after pos (n when there is none), each searched again only once passed.
  let lf = -1;
  let cr = -1;
  while (pos <= n) {
    if (lf < pos) lf = pos < n ? buf.indexOf(0x0a, pos) : -1;
    if (lf < 0) lf = n;
    if (cr < pos) cr = pos < n ? buf.indexOf(0x0d, pos) : -1;
    if (cr < 0) cr = n;
    const end = Math.min(lf, cr);
    yield buf.toString("utf8", pos, end);
    pos = buf[end] === 0x0d && buf[end + 1] === 0x0a ? end + 2 : end + 1;
  }
}

/**
 * Joins folded lines (RFC 5545 3.1: CRLF followed by one space or TAB) and drops blank lines.
 * Lazy, so a large feed is never held as an array of lines. Valid UTF-8 bytes may be given instead of
 * a text (with the offset after any byte-order mark): see physicalLinesOfUtf8.
 */
export function* unfold(source: string | { utf8: Uint8Array; start: number }): Generator<UnfoldedLine> {
  let pending: UnfoldedLine | undefined;
  let lineNo = 0;
  const lines =
    typeof source === "string" ? physicalLines(source) : physicalLinesOfUtf8(source.utf8, source.start);
  for (const line of lines) {
    lineNo++;
    const first = line.charCodeAt(0);
    if ((first === 0x20 || first === 0x09) && pending) {
      pending.text += line.slice(1);
      continue;
    }
    if (line.trim() === "") continue;
    if (pending) yield pending;
    pending = { text: line, lineNo };
  }
  if (pending) yield pending;
}

const NAME = /^[A-Za-z0-9-]+/;

/** Splits one unfolded line into name, parameters and value; undefined when it is not a content line. */
export function parseContentLine(text: string, lineNo: number): ContentLine | undefined {
  const nameMatch = NAME.exec(text);
  if (!nameMatch) return undefined;
  const name = nameMatch[0].toUpperCase();
  const params: Record<string, string> = {};
  let i = nameMatch[0].length;
  while (text[i] === ";") {
    i++;
    const eq = text.indexOf("=", i);
    if (eq < 0) return undefined;
    const paramName = text.slice(i, eq).trim().toUpperCase();
    i = eq + 1;
    const values: string[] = [];
    for (;;) {
      if (text[i] === '"') {
        const close = text.indexOf('"', i + 1);
        if (close < 0) return undefined;
        values.push(text.slice(i + 1, close));
        i = close + 1;
      } else {
        let j = i;
        while (j < text.length && text[j] !== ";" && text[j] !== ":" && text[j] !== ",") j++;
        values.push(text.slice(i, j));
        i = j;
      }
      if (text[i] === ",") {
        i++;
        continue;
      }
      break;
    }
    params[paramName] = values.join(",");
  }
  if (text[i] !== ":") return undefined;
  return { name, params, value: text.slice(i + 1), lineNo, raw: text };
}

export interface ComponentTree {
  /** Top-level components (normally one VCALENDAR). */
  roots: Component[];
  /** Lines outside any component or not content lines at all. */
  strayLines: number;
}

const TEXT_PROPERTIES = /^(?:SUMMARY|DESCRIPTION|LOCATION|COMMENT|CONTACT|X-[A-Z0-9-]+)$/;

/**
 * Builds the component tree; never throws. Unterminated components are kept and marked.
 * With `onCalendarChild`, components directly inside a VCALENDAR (VEVENT, VTIMEZONE, ...) are handed
 * over one by one as soon as they are closed instead of being kept in the tree.
 */
export function readComponents(
  lines: Iterable<UnfoldedLine>,
  onCalendarChild?: (component: Component) => void,
): ComponentTree {
  const roots: Component[] = [];
  const stack: Component[] = [];
  let strayLines = 0;
  // A component handed over is in no tree: once closed and read, nothing refers to it any more. (It is
  // not marked in a WeakSet or WeakMap either: their entries live until the next full collection and
  // made every VEVENT outlive the young generation.)
  const handedOver = (k: number): boolean =>
    onCalendarChild !== undefined && k > 0 && stack[k - 1]!.name === "VCALENDAR";
  const closeFrom = (depth: number, unterminated: boolean, keepFirst = false): void => {
    for (let k = stack.length - 1; k >= depth; k--) {
      const c = stack[k]!;
      if (unterminated && !(keepFirst && k === depth)) c.unterminated = true;
      if (handedOver(k)) onCalendarChild!(c);
    }
    stack.length = depth;
  };
  for (const { text, lineNo } of lines) {
    const line = parseContentLine(text, lineNo);
    if (!line) {
      // A line that is no content line inside a component is most often a text value whose line
      // break the producer did not escape or fold: keep it as part of the previous value.
      const last = stack[stack.length - 1]?.properties.at(-1);
      if (last && TEXT_PROPERTIES.test(last.name)) {
        last.value += `\n${text}`;
        last.raw += `\n${text}`;
      } else {
        strayLines++;
      }
      continue;
    }
    if (line.name === "BEGIN") {
      const component: Component = {
        name: line.value.trim().toUpperCase(),
        properties: [],
        children: [],
        lineNo,
      };
      // Components of a kind never nest in themselves: a second BEGIN:VEVENT means the first lost its END.
      const open = stack.findLastIndex((c) => c.name === component.name);
      if (open >= 0) closeFrom(open, true);
      const parent = stack[stack.length - 1];
      stack.push(component);
      if (handedOver(stack.length - 1)) continue;
      if (parent) parent.children.push(component);
      else roots.push(component);
      continue;
    }
    if (line.name === "END") {
      const name = line.value.trim().toUpperCase();
      const at = stack.findLastIndex((c) => c.name === name);
      if (at < 0) {
        strayLines++;
        continue;
      }
      // Components opened after the one being closed never got their own END.
      closeFrom(at, true, true);
      continue;
    }
    const current = stack[stack.length - 1];
    if (current) current.properties.push(line);
    else strayLines++;
  }
  closeFrom(0, true);
  return { roots, strayLines };
}

function index(component: Component): Map<string, ContentLine[]> {
  let idx = component.index;
  if (!idx || idx.size !== component.properties.length) {
    const byName = new Map<string, ContentLine[]>();
    for (const p of component.properties) {
      const list = byName.get(p.name);
      if (list) list.push(p);
      else byName.set(p.name, [p]);
    }
    idx = { size: component.properties.length, byName };
    component.index = idx;
  }
  return idx.byName;
}

/** First property of a name, if any. */
export function prop(component: Component, name: string): ContentLine | undefined {
  return index(component).get(name)?.[0];
}

export function props(component: Component, name: string): ContentLine[] {
  return index(component).get(name) ?? [];
}

/** Serialises a parsed line back to text (parameter values quoted when they need it). */
export function formatContentLine(line: {
  name: string;
  params: Record<string, string>;
  value: string;
}): string {
  let out = line.name;
  for (const [k, v] of Object.entries(line.params)) {
    out += `;${k}=${/[;:,"]/.test(v) ? `"${v.replace(/"/g, "")}"` : v}`;
  }
  return `${out}:${line.value}`;
}

/** RFC 5545 TEXT unescaping (\n, \N, \, \; \\). */
export function unescapeText(value: string): string {
  // Most values have no escapes at all; this runs for every text value.
  if (!value.includes("\\")) return value;
  return value.replace(/\\([nN,;\\])/g, (_m, c: string) => (c === "n" || c === "N" ? "\n" : c));
}
