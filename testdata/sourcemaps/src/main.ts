import { track } from "./analytics";

document.querySelector("#book")?.addEventListener("click", () => {
  track("book_appointment");
});
