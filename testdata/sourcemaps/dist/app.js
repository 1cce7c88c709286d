(()=>{function t(o,n={}){let r=JSON.stringify({event:o,...n});navigator.sendBeacon("https://api.segment.io/v1/t",r)}document.querySelector("#book")?.addEventListener("click",()=>{t("book_appointment")});})();
//# sourceMappingURL=app.js.map
