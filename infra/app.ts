import { App } from 'aws-cdk-lib';
import { buildApp } from './gatekeeper-app';

/** CDK entry (cdk.json "app"): settings from context, cdk-nag checks on synth. */
buildApp(new App());
