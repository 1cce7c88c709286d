// Clean first-party script: toggles the menu.
document.querySelector('.menu-toggle')?.addEventListener('click', function () {
  document.body.classList.toggle('menu-open');
});
