// The sign-in form posts to Spring Security's form login with the CSRF token from the XSRF-TOKEN cookie.
import { csrfToken } from './api.js';
import { logo } from './shell.js';

const form = document.getElementById('login-form');
const params = new URLSearchParams(location.search);
document.getElementById('login-error').hidden = !params.has('error');
document.getElementById('logged-out').hidden = !params.has('logout');
document.getElementById('brand').prepend(logo(26));
form.addEventListener('submit', () => { form.elements._csrf.value = csrfToken(); });
