import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { inBackground } from './lib/background';
import { appInfo } from './state/app-info.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
mount(App, { target });
inBackground(appInfo.load(), 'reading the emulator\'s info');
