/** `npm run emulator`: serve the emulator until interrupted. PORT (default 4200), CALENDAR_PLUGIN=1, ADMIN_API_RPM. */
import { startEmulator } from "./index.ts";

const rpm = process.env["ADMIN_API_RPM"];
const emulator = await startEmulator({
  port: Number(process.env["PORT"] ?? 4200),
  calendarPlugin: process.env["CALENDAR_PLUGIN"] === "1",
  adminRequestsPerMinute: rpm === undefined ? 60 : rpm === "unlimited" ? null : Number(rpm),
});
console.log(`Discourse emulator listening on ${emulator.url}`);

const stop = (): void => {
  void emulator.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
