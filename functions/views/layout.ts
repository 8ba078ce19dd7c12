import { asset } from './assets';
import { html, type SafeHtml } from './html';

/**
 * The page chrome in U.S. Web Design System markup: the official-website banner, the header,
 * the identifier footer. Pages work without JavaScript; the scripts loaded here only enhance.
 */

export const SERVICE = 'Sandbox sign-up';

/** The operator's policy pages every page's footer links (USWDS identifier's required links). */
export interface FooterLinks {
  readonly privacyUrl?: string | undefined;
  readonly accessibilityUrl?: string | undefined;
}

let footerLinks: FooterLinks = {};

/** Set once at start, from the configuration: every page's footer links them from then on. */
export function setFooterLinks(links: FooterLinks): void {
  footerLinks = links;
}

function requiredLinks(): SafeHtml {
  const links = [
    ['Accessibility support', footerLinks.accessibilityUrl],
    ['Privacy policy', footerLinks.privacyUrl],
  ].filter((link): link is [string, string] => link[1] !== undefined);
  if (!links.length) return html``;
  return html`<nav class="usa-identifier__section usa-identifier__section--required-links" aria-label="Important links">
<div class="usa-identifier__container">
<ul class="usa-identifier__required-links-list">
${links.map(([text, href]) => html`<li class="usa-identifier__required-links-item"><a href="${href}" class="usa-identifier__required-link usa-link">${text}</a></li>`)}
</ul>
</div>
</nav>`;
}

function banner(): SafeHtml {
  return html`<section class="usa-banner" aria-label="Official website of the United States government">
<div class="usa-accordion">
<header class="usa-banner__header">
<div class="usa-banner__inner">
<div class="grid-col-auto"><img aria-hidden="true" class="usa-banner__header-flag" src="${asset('uswds/img/us_flag_small.png')}" alt=""></div>
<div class="grid-col-fill tablet:grid-col-auto" aria-hidden="true">
<p class="usa-banner__header-text">An official website of the United States government</p>
<p class="usa-banner__header-action">Here’s how you know</p>
</div>
<button type="button" class="usa-accordion__button usa-banner__button" aria-expanded="false" aria-controls="gov-banner">
<span class="usa-banner__button-text">Here’s how you know</span>
</button>
</div>
</header>
<div class="usa-banner__content usa-accordion__content" id="gov-banner" hidden>
<div class="grid-row grid-gap-lg">
<div class="usa-banner__guidance tablet:grid-col-6">
<img class="usa-banner__icon usa-media-block__img" src="${asset('uswds/img/icon-dot-gov.svg')}" role="img" alt="" aria-hidden="true">
<div class="usa-media-block__body"><p><strong>Official websites use .gov</strong><br>A <strong>.gov</strong> website belongs to an official government organization in the United States.</p></div>
</div>
<div class="usa-banner__guidance tablet:grid-col-6">
<img class="usa-banner__icon usa-media-block__img" src="${asset('uswds/img/icon-https.svg')}" role="img" alt="" aria-hidden="true">
<div class="usa-media-block__body"><p><strong>Secure .gov websites use HTTPS</strong><br>A <strong>lock</strong> or <strong>https://</strong> means you’ve safely connected to the .gov website. Share sensitive information only on official, secure websites.</p></div>
</div>
</div>
</div>
</div>
</section>`;
}

export function layout(title: string, main: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} | ${SERVICE}</title>
<link rel="icon" type="image/png" href="${asset('uswds/img/favicons/favicon-40.png')}">
<link rel="stylesheet" href="${asset('uswds/css/uswds.min.css')}">
<link rel="stylesheet" href="${asset('app/app.css')}">
<script src="${asset('uswds/js/uswds.min.js')}" defer></script>
<script src="${asset('app/enhance.js')}" defer></script>
</head>
<body>
<a class="usa-skipnav" href="#main-content">Skip to main content</a>
${banner()}
<header class="usa-header usa-header--basic">
<div class="usa-nav-container">
<div class="usa-navbar"><div class="usa-logo"><em class="usa-logo__text"><a href="/" title="${SERVICE}">${SERVICE}</a></em></div></div>
</div>
</header>
<main id="main-content" class="usa-section" tabindex="-1">
<div class="grid-container">
<div class="grid-row"><div class="grid-col-12 tablet:grid-col-8">
${main}
</div></div>
</div>
</main>
<footer class="usa-footer usa-footer--slim">
<div class="usa-identifier">
<section class="usa-identifier__section usa-identifier__section--masthead" aria-label="Agency identifier">
<div class="usa-identifier__container">
<p class="usa-identifier__identity-disclaimer">The integration sandbox is for testing only.</p>
</div>
</section>
${requiredLinks()}
<section class="usa-identifier__section usa-identifier__section--usagov" aria-label="U.S. government information and services">
<div class="usa-identifier__container">
<div class="usa-identifier__usagov-description">Looking for U.S. government information and services?</div>
<a href="https://www.usa.gov/" class="usa-link">Visit USA.gov</a>
</div>
</section>
</div>
</footer>
</body>
</html>
`.value;
}
