// The dashboard's one script: the page is <igepay-dashboard>.
import './app.js';
