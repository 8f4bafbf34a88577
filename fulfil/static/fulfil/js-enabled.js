// Loaded at the top of <body> (not inline, so the Content-Security-Policy needs no exception):
// GOV.UK Frontend styles components differently once it knows JavaScript will run.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
