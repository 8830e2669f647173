import { offsetMinutes, pad } from "./zoned-time";

/*
 * VTIMEZONE components built from the browser's own time zone data (Intl), so recurring events can
 * be written in their zone and keep their wall-clock time across DST changes.
 */

const MINUTE_MS = 60000;
const WEEK_MS = 7 * 24 * 60 * MINUTE_MS;
const WEEKDAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];
const EXPLICIT_YEARS = 12;

function transitionsInYear(zone, year) {
  const end = Date.UTC(year + 1, 0, 1);
  const found = [];
  let previous = Date.UTC(year, 0, 1);
  let previousOffset = offsetMinutes(zone, previous);
  while (previous < end) {
    const next = Math.min(previous + WEEK_MS, end);
    const nextOffset = offsetMinutes(zone, next);
    if (nextOffset !== previousOffset) {
      let low = previous;
      let high = next;
      while (high - low > MINUTE_MS) {
        const middle =
          low + Math.floor((high - low) / 2 / MINUTE_MS) * MINUTE_MS;
        if (offsetMinutes(zone, middle) === previousOffset) {
          low = middle;
        } else {
          high = middle;
        }
      }
      found.push(describe(high, previousOffset, nextOffset));
    }
    previous = next;
    previousOffset = nextOffset;
  }
  return found;
}

function describe(instant, from, to) {
  // The onset is written in the local time that was in force before the change.
  const local = new Date(instant + from * MINUTE_MS);
  const day = local.getUTCDate();
  const month = local.getUTCMonth() + 1;
  const daysInMonth = new Date(
    Date.UTC(local.getUTCFullYear(), month, 0)
  ).getUTCDate();
  return {
    from,
    to,
    year: local.getUTCFullYear(),
    month,
    day,
    weekday: local.getUTCDay(),
    time: `${pad(local.getUTCHours())}${pad(local.getUTCMinutes())}00`,
    nth: day + 7 > daysInMonth ? -1 : Math.ceil(day / 7),
  };
}

function formatOffset(minutes) {
  const sign = minutes < 0 ? "-" : "+";
  const absolute = Math.abs(minutes);
  return `${sign}${pad(Math.floor(absolute / 60))}${pad(absolute % 60)}`;
}

function sameRule(a, b) {
  return (
    a.from === b.from &&
    a.to === b.to &&
    a.month === b.month &&
    a.weekday === b.weekday &&
    a.nth === b.nth &&
    a.time === b.time
  );
}

function observance(transition, rrule) {
  const kind = transition.to > transition.from ? "DAYLIGHT" : "STANDARD";
  const lines = [
    `BEGIN:${kind}`,
    `DTSTART:${transition.year}${pad(transition.month)}${pad(transition.day)}T${transition.time}`,
    `TZOFFSETFROM:${formatOffset(transition.from)}`,
    `TZOFFSETTO:${formatOffset(transition.to)}`,
  ];
  if (rrule) {
    lines.push(
      `RRULE:FREQ=YEARLY;BYMONTH=${transition.month};BYDAY=${transition.nth}${WEEKDAYS[transition.weekday]}`
    );
  }
  lines.push(`END:${kind}`);
  return lines;
}

/** Returns a VTIMEZONE for `zone` valid from the year before `fromYear` onwards. */
export function buildVtimezone(zone, fromYear) {
  const firstYear = fromYear - 1;
  const sample = [0, 1, 2, 3].map((i) =>
    transitionsInYear(zone, firstYear + i)
  );
  const lines = ["BEGIN:VTIMEZONE", `TZID:${zone}`];

  if (sample.every((year) => year.length === 0)) {
    const offset = offsetMinutes(zone, Date.UTC(fromYear, 0, 1));
    lines.push(
      ...observance(
        {
          from: offset,
          to: offset,
          year: 1970,
          month: 1,
          day: 1,
          time: "000000",
        },
        false
      )
    );
  } else if (
    sample[0].length === 2 &&
    sample.every(
      (year) =>
        year.length === 2 &&
        year.every((transition, i) => sameRule(transition, sample[0][i]))
    )
  ) {
    sample[0].forEach((transition) =>
      lines.push(...observance(transition, true))
    );
  } else {
    for (let i = 0; i < EXPLICIT_YEARS; i++) {
      transitionsInYear(zone, firstYear + i).forEach((transition) =>
        lines.push(...observance(transition, false))
      );
    }
  }

  lines.push("END:VTIMEZONE");
  return lines.join("\r\n");
}
