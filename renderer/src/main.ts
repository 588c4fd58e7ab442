import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { appInfo } from './state/app-info.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
mount(App, { target });
void appInfo.load();
