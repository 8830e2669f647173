import ical from "../../vendor/ical-generator";
import { buildIcs, icsFileName } from "./ics-builder";

export function buildIcsFile(event, options) {
  return {
    text: buildIcs(ical, event, options),
    fileName: icsFileName(event.title),
  };
}
