// A wrapper outlet with no connectors renders only its block, as Discourse's does.
export default <template>
  {{! template-lint-disable no-yield-only }}
  {{yield}}
</template>
