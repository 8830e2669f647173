import { apiInitializer } from "discourse/lib/api";
import IcsImportStatus from "../components/ics-import-status";
import TopicAddToCalendar from "../components/topic-add-to-calendar";

export default apiInitializer((api) => {
  if (settings.add_to_calendar_outlet !== "none") {
    api.renderInOutlet(settings.add_to_calendar_outlet, TopicAddToCalendar);
  }
  if (settings.status_widget_outlet !== "none") {
    api.renderInOutlet(settings.status_widget_outlet, IcsImportStatus);
  }
});
