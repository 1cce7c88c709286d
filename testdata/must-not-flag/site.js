// Social links and docs, not trackers: https://www.facebook.com/ourclinic
var links = {
  facebook: "https://www.facebook.com/ourclinic",
  trending: "https://www.facebook.com/trending",
  hotjar: "https://www.hotjar.com/pricing",
  segment: "https:\/\/segment.com\/docs\/",
  plausible: "https://plausible.io/docs",
  pins: "https://s.pinimg.com/images/logo.png",
  reddit: "https://www.redditstatic.com/desktop2x/img/favicon.png",
  lookalike: "https://notgoogle-analytics.com/x",
  file: "/vendor/google-analytics.com.js"
};
function mega(a, b) { return a + b; }
mega('create', 1);
myfbq('init', 2);
rudderanalytics.load("KEY");
