/*
 * 图片新闻 carousel of the home page. Without JavaScript it is a scroll-snap strip with
 * numbered links to each slide. This adds previous/next buttons and a pause button, and
 * advances every 6 seconds only when the reader has not asked for reduced motion; it
 * stops while the pointer or keyboard focus is inside, and for good once paused
 * (WCAG 2.2.2). Plain ES5.
 */
(function (window, document) {
  "use strict";

  var DELAY = 6000;
  var root = document.querySelector("[data-carousel]");
  if (!root) {
    return;
  }
  var track = root.querySelector("[data-carousel-track]");
  var slides = track.children;
  var dots = root.querySelectorAll("[data-carousel-dot]");
  var controls = root.querySelector(".carousel-controls");
  var pause = root.querySelector("[data-carousel-pause]");
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var labels = { pause: pause.textContent, play: root.getAttribute("data-play") };
  var current = 0;
  var paused = still; // reduced motion: never moves by itself
  var held = false; // pointer or focus inside
  var timer = null;
  var going = -1; // the slide a scroll of ours is on its way to (-1: none)

  controls.hidden = false;

  function show(index, focus) {
    current = (index + slides.length) % slides.length;
    var left = slides[current].offsetLeft - slides[0].offsetLeft;
    going = Math.abs(track.scrollLeft - left) < 1 ? -1 : current; // already there: no scroll
    track.scrollTo({ left: left, behavior: still ? "auto" : "smooth" });
    for (var i = 0; i < dots.length; i++) {
      if (i === current) {
        dots[i].setAttribute("aria-current", "true");
      } else {
        dots[i].removeAttribute("aria-current");
      }
    }
    if (focus) {
      slides[current].querySelector("a").focus({ preventScroll: true });
    }
  }

  function schedule() {
    window.clearTimeout(timer);
    if (!paused && !held) {
      timer = window.setTimeout(function () {
        show(current + 1, false);
        schedule();
      }, DELAY);
    }
  }

  function setPaused(value) {
    paused = value;
    pause.textContent = value ? labels.play : labels.pause;
    root.setAttribute("data-state", value ? "paused" : "playing");
    schedule();
  }

  pause.addEventListener("click", function () {
    setPaused(!paused);
  });
  root.querySelector("[data-carousel-prev]").addEventListener("click", function () {
    show(current - 1, false);
  });
  root.querySelector("[data-carousel-next]").addEventListener("click", function () {
    show(current + 1, false);
  });
  for (var i = 0; i < dots.length; i++) {
    dots[i].addEventListener("click", (function (index) {
      return function (event) {
        event.preventDefault();
        show(index, true);
      };
    })(i));
  }
  track.addEventListener("keydown", function (event) {
    if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      event.preventDefault();
      show(current + (event.key === "ArrowRight" ? 1 : -1), true);
    }
  });
  track.addEventListener("scroll", function () {
    var left = track.scrollLeft;
    var width = track.clientWidth || 1;
    var index = Math.round(left / width);
    if (going !== -1) {
      // our own smooth scroll passes the slides between: the dots stay on its target
      if (index === going) {
        going = -1;
      }
      return;
    }
    if (index !== current && index >= 0 && index < slides.length) {
      current = index;
      for (var j = 0; j < dots.length; j++) {
        if (j === current) {
          dots[j].setAttribute("aria-current", "true");
        } else {
          dots[j].removeAttribute("aria-current");
        }
      }
    }
  });
  function hold(value) {
    return function () {
      held = value;
      schedule();
    };
  }
  root.addEventListener("mouseenter", hold(true));
  root.addEventListener("mouseleave", hold(false));
  root.addEventListener("focusin", hold(true));
  root.addEventListener("focusout", function (event) {
    if (!root.contains(event.relatedTarget)) {
      held = false;
      schedule();
    }
  });
  setPaused(paused);
})(window, document);
