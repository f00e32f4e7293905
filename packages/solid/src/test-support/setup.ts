import { configure } from '@solidjs/testing-library';

// The machine running the tests may be slow and busy: wait for the UI longer than 1 s.
configure({ asyncUtilTimeout: 10_000 });
