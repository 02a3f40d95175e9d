// The run forms' time zone (the dashboard's "Self-paced run" form, a run's Extend form):
// the server reads their dates and times in the zone the hidden `zone` field names, UTC
// unless this script says otherwise (facilitator/run_forms.py). Here the field gets the
// browser's zone (an IANA name, so a date across a change of summer time is read right),
// the dates the server wrote in UTC are moved to that zone, and the page says which zone
// it is. Nothing else changes: without this script the form works in UTC and says so.

function browserZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    return "";
  }
}

const pad = (n) => String(n).padStart(2, "0");

/** A date and time field pair written in UTC, moved to the browser's local time. */
function toLocal(dateInput, timeInput) {
  if (!dateInput || !timeInput || !dateInput.value || !timeInput.value) return;
  const moment = new Date(`${dateInput.value}T${timeInput.value}:00Z`);
  if (Number.isNaN(moment.getTime())) return;
  dateInput.value = `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}`;
  timeInput.value = `${pad(moment.getHours())}:${pad(moment.getMinutes())}`;
}

function adopt(form, zone) {
  const field = form.querySelector("input.run-zone");
  if (!field || field.value !== "UTC" || !zone || zone === "UTC") return;
  field.value = zone;
  for (const dateInput of form.querySelectorAll("input[type=date]")) {
    const timeInput = form.querySelector(`input[type=time][name="${dateInput.name.replace(/_date$/, "_time")}"]`);
    toLocal(dateInput, timeInput);
  }
  const name = form.querySelector(".run-zone-name");
  if (name) name.textContent = `${zone} (${form.dataset.browserWords || "your browser’s time zone"})`;
  const utc = form.querySelector(".run-zone-utc");
  if (utc) utc.remove();
}

const zone = browserZone();
document.querySelectorAll("form.run-form").forEach((form) => adopt(form, zone));
