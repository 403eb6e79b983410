export { registerWalkthrough, addDemoServer, demoServerDefinition, DEMO_SERVER_NAME, WALKTHROUGH_ID, type WalkthroughDeps } from './demoCommands';
