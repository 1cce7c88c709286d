// Riverside Family Clinic site bundle (built).
!function(){var analytics=window.analytics=window.analytics||[];if(!analytics.initialize)if(analytics.invoked)window.console&&console.error&&console.error("Segment snippet included twice.");else{analytics.invoked=!0;analytics.SNIPPET_VERSION="4.15.3";analytics.load("WRITE_KEY");analytics.page();}}();
var cfg={"endpoint":"https:\/\/api.segment.io\/v1\/t","menu":"\/appointments\/"};
function track(e){navigator.sendBeacon("https://bat.bing.com/action/0?ti=12345&evt="+e);}
document.querySelectorAll("a.book").forEach(function(a){a.addEventListener("click",function(){track("book")})});
