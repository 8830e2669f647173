/**
 * Date-times handed to ical-generator. It accepts any object with the Day.js shape (ICalDayJsStub);
 * this one carries an instant and a zone resolved once, so writing thousands of events does not
 * validate the same zone name again for every DTSTART (luxon does that for each zone string).
 */
import type { ICalDayJsStub } from "ical-generator";
import { DateTime, IANAZone, type Zone } from "luxon";

const zones = new Map<string, Zone | null>();

/** The zone for a name, or null for UTC and names the platform does not know. */
export function zoneOf(name: string): Zone | null {
  let z = zones.get(name);
  if (z === undefined) {
    z = name !== "UTC" && IANAZone.isValidZone(name) ? IANAZone.create(name) : null;
    zones.set(name, z);
  }
  return z;
}

export class WallTime implements ICalDayJsStub {
  readonly ms: number;
  readonly #local: DateTime;

  constructor(ms: number, zone: Zone | null) {
    this.ms = ms;
    this.#local = DateTime.fromMillis(ms, { zone: zone ?? "UTC" });
  }

  static fromIso(iso: string, zone: Zone | null): WallTime {
    return new WallTime(Date.parse(iso), zone);
  }

  /** ical-generator asks for YYYYMMDD and HHmmss only. */
  format(format?: string): string {
    if (format === "YYYYMMDD") return this.#local.toFormat("yyyyLLdd");
    if (format === "HHmmss") return this.#local.toFormat("HHmmss");
    return this.#local.toISO() ?? "";
  }

  isValid(): boolean {
    return Number.isFinite(this.ms);
  }

  toDate(): Date {
    return new Date(this.ms);
  }

  toJSON(): string {
    return new Date(this.ms).toISOString();
  }

  /** Already in the event's zone (the only zone ical-generator passes here). */
  tz(): WallTime {
    return this;
  }

  utc(): WallTime {
    return new WallTime(this.ms, null);
  }
}
