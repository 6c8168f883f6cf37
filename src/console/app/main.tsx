import { render } from 'preact';
// The shared styles come first, so that a page's own stylesheet (imported by its component)
// overrides them at equal specificity: `.badge-new` over `.badge`, for instance.
import './styles.css';
import { App } from './app';

const root = document.getElementById('root');
if (root !== null) render(<App />, root);
