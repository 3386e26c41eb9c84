// Reads an iCalendar file from stdin and parses it with Mozilla's ical.js (Thunderbird's
// parser), then prints what a client would show, as JSON:
//   {"calendar": {name, calname, method, refreshInterval, publishedTtl},
//    "events": [{uid, summary, status, sequence, isAllDay, start, end, lastModified,
//                location, description}, ...]}
// Timed starts and ends are UTC ISO strings; dates are YYYY-MM-DD. Every VTIMEZONE in the
// file is registered before any event is read, as Thunderbird does. Run from pytest:
//   node tests/events/icaljs.mjs < feed.ics
import ICAL from "ical.js";

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function moment(time) {
  if (time === null || time === undefined) {
    return null;
  }
  if (time.isDate) {
    return time.toString(); // YYYY-MM-DD
  }
  return time.toJSDate().toISOString();
}

function text(component, name) {
  const value = component.getFirstPropertyValue(name);
  return value === null || value === undefined ? null : String(value);
}

const source = await readStdin();
const calendar = new ICAL.Component(ICAL.parse(source));

// Values are decoded lazily: registering the zones first makes every TZID resolve to them.
ICAL.TimezoneService.reset();
for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(vtimezone));
}

const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  return {
    uid: event.uid,
    summary: event.summary,
    status: text(vevent, "status"),
    sequence: event.sequence,
    isAllDay: event.startDate.isDate,
    start: moment(event.startDate),
    end: moment(event.endDate),
    startZone: event.startDate.isDate ? null : event.startDate.zone.tzid,
    lastModified: moment(vevent.getFirstPropertyValue("last-modified")),
    location: event.location,
    description: event.description,
  };
});

const output = {
  calendar: {
    name: text(calendar, "name"),
    calname: text(calendar, "x-wr-calname"),
    method: text(calendar, "method"),
    refreshInterval: text(calendar, "refresh-interval"),
    publishedTtl: text(calendar, "x-published-ttl"),
  },
  events,
};
process.stdout.write(JSON.stringify(output));
