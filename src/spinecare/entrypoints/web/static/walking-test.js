// The guided walking test: a big Start button, a running clock, "first symptoms now" and
// Stop. It only fills in the form's fields; the form is an ordinary POST, so the page works
// without JavaScript too (the times are then typed in by hand).
(function () {
  "use strict";
  var LIMIT_SECONDS = 30 * 60;
  var timer = document.getElementById("timer");
  if (!timer) { return; }
  var clock = document.getElementById("walk-clock");
  var announce = document.getElementById("walk-announce");
  var status = document.getElementById("walk-status");
  var start = document.getElementById("walk-start");
  var symptoms = document.getElementById("walk-symptoms");
  var stop = document.getElementById("walk-stop");
  var duration = document.getElementById("duration_seconds");
  var first = document.getElementById("first_symptom_seconds");
  var durationMinutes = document.getElementById("duration_minutes");
  var firstMinutes = document.getElementById("first_symptom_minutes");
  var startedAt = null;
  var ticking = null;
  var lastMinute = 0;

  function elapsed() { return (Date.now() - startedAt) / 1000; }
  function mmss(seconds) {
    var s = Math.floor(seconds);
    var m = Math.floor(s / 60);
    var r = s % 60;
    return m + ":" + (r < 10 ? "0" : "") + r;
  }
  function minutes(seconds) { return (Math.round(seconds / 6) / 10).toString(); }

  function tick() {
    var seconds = elapsed();
    clock.textContent = mmss(seconds);
    var minute = Math.floor(seconds / 60);
    if (minute > lastMinute) {
      lastMinute = minute;
      announce.textContent = minute + (minute === 1 ? " minute" : " minutes");
    }
    if (seconds >= LIMIT_SECONDS) { finish(true); }
  }

  function finish(atLimit) {
    if (startedAt === null) { return; }
    var seconds = Math.min(elapsed(), LIMIT_SECONDS);
    window.clearInterval(ticking);
    startedAt = null;
    duration.value = seconds.toFixed(1);
    durationMinutes.value = minutes(seconds);
    clock.textContent = mmss(seconds);
    symptoms.hidden = true;
    stop.hidden = true;
    status.textContent = atLimit
      ? "30 minutes: the test is over. Well done. Now answer the questions below."
      : "Stopped after " + mmss(seconds) + ". Now answer the questions below.";
    var reason = document.querySelector("input[name=stopped_because][value=" +
      (atLimit ? "time_limit" : "symptoms") + "]");
    if (reason) { reason.checked = true; }
    var after = document.getElementById("after-title");
    after.focus();
  }

  timer.hidden = false;
  start.addEventListener("click", function () {
    startedAt = Date.now();
    lastMinute = 0;
    duration.value = "";
    first.value = "";
    firstMinutes.value = "";
    start.hidden = true;
    symptoms.hidden = false;
    symptoms.disabled = false;
    symptoms.textContent = "First symptoms now";
    stop.hidden = false;
    status.textContent = "Walking. Press “First symptoms now” when they start, and Stop when you stop.";
    ticking = window.setInterval(tick, 250);
    stop.focus();
  });
  symptoms.addEventListener("click", function () {
    if (startedAt === null) { return; }
    var seconds = elapsed();
    first.value = seconds.toFixed(1);
    firstMinutes.value = minutes(seconds);
    symptoms.disabled = true;
    symptoms.textContent = "First symptoms at " + mmss(seconds);
    announce.textContent = "First symptoms noted at " + mmss(seconds);
  });
  stop.addEventListener("click", function () { finish(false); });
  // A time typed by hand wins over the timer's.
  durationMinutes.addEventListener("input", function () { duration.value = ""; });
  firstMinutes.addEventListener("input", function () { first.value = ""; });
}());
