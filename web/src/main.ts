/** The staff web app's entry: configuration, language, then the router. */
import { setApiBaseUrl, setSessionRefresher } from './api.js';
import { startApp } from './app.js';
import { CONFIG_PATH, type WebConfig } from './config.js';
import { h, replaceChildren } from './dom.js';
import { currentLang, setLang, t } from './i18n.js';
import { cognitoRefresher } from './session.js';

async function loadConfig(): Promise<WebConfig> {
  const response = await fetch(CONFIG_PATH, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${CONFIG_PATH} answered ${response.status}`);
  return (await response.json()) as WebConfig;
}

async function main() {
  const root = document.getElementById('app');
  if (!root) return;
  setLang(currentLang());
  try {
    const config = await loadConfig();
    setApiBaseUrl(config.apiBaseUrl);
    if (config.auth.mode === 'cognito') setSessionRefresher(cognitoRefresher(config.auth));
    startApp(root, config);
  } catch {
    document.title = t('app.name');
    replaceChildren(
      root,
      h(
        'main',
        { class: 'width main', id: 'main' },
        h('h1', { class: 'heading-l' }, t('app.name')),
        h('p', { class: 'body' }, t('app.unavailable')),
      ),
    );
  }
}

void main();
