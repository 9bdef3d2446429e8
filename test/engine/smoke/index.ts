// One trivial dynamic resource whose input comes from stack config, so a test can change it.
import * as pulumi from "@pulumi/pulumi";

interface GreetingState {
  message: string;
  length: number;
}

// Serialized into the state and run by the pulumi-resource-pulumi-nodejs plugin: keep it self-contained.
const greetingProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: { message: string }) {
    const outs: GreetingState = { message: inputs.message, length: inputs.message.length };
    return { id: `greeting-${Date.now()}`, outs };
  },
  async diff(_id: string, olds: GreetingState, news: { message: string }) {
    return { changes: olds.message !== news.message };
  },
  async update(_id: string, _olds: GreetingState, news: { message: string }) {
    const outs: GreetingState = { message: news.message, length: news.message.length };
    return { outs };
  },
  async delete() {},
};

class Greeting extends pulumi.dynamic.Resource {
  declare readonly message: pulumi.Output<string>;
  declare readonly length: pulumi.Output<number>;

  constructor(name: string, args: { message: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions) {
    super(greetingProvider, name, { message: args.message, length: undefined }, opts);
  }
}

const greeting = new Greeting("greeting", { message: new pulumi.Config().require("message") });

export const message = greeting.message;
export const length = greeting.length;
