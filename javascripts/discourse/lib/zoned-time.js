const formatters = new Map();

function formatterFor(timeZone) {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone) {
  if (typeof timeZone !== "string" || timeZone === "") {
    return false;
  }
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock fields of an instant as seen in an IANA zone. */
export function zonedParts(timeZone, epochMs) {
  const parts = {};
  for (const { type, value } of formatterFor(timeZone).formatToParts(
    new Date(epochMs)
  )) {
    if (type !== "literal") {
      parts[type] = Number(value);
    }
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

/** The zone's offset from UTC in minutes at an instant (east positive). */
export function offsetMinutes(timeZone, epochMs) {
  const p = zonedParts(timeZone, epochMs);
  const asUtc = Date.UTC(
    p.year,
    p.month - 1,
    p.day,
    p.hour,
    p.minute,
    p.second
  );
  const wholeSeconds = Math.floor(epochMs / 1000) * 1000;
  return Math.round((asUtc - wholeSeconds) / 60000);
}

const DAY_MS = 86400000;

/**
 * The instant a wall-clock time in a zone names. As RFC 5545 asks, a time repeated by a DST fold
 * is its first occurrence, and a time skipped by a DST gap is read with the offset before the gap.
 */
export function wallTimeToEpoch(timeZone, fields) {
  const asUtc = Date.UTC(
    fields.year,
    fields.month - 1,
    fields.day,
    fields.hour ?? 0,
    fields.minute ?? 0,
    fields.second ?? 0
  );
  const offsetBefore = offsetMinutes(timeZone, asUtc - DAY_MS);
  const offsetAfter = offsetMinutes(timeZone, asUtc + DAY_MS);
  const candidates = [offsetBefore, offsetAfter]
    .map((offset) => asUtc - offset * 60000)
    .filter(
      (epoch) => asUtc - epoch === offsetMinutes(timeZone, epoch) * 60000
    );
  return candidates.length
    ? Math.min(...candidates)
    : asUtc - offsetBefore * 60000;
}

export function pad(number, width = 2) {
  return String(number).padStart(width, "0");
}
