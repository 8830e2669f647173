// A wrapper outlet with no connectors renders its block, as Discourse's does.
export default <template>{{yield}}</template>
