!function(){gtag("config","AW-1")}();
fbq(                                                                 'init');
fbq(                                                                'init');
