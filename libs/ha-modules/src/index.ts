export { Network, type NetworkProps, type NetworkSubnets, type NatGatewayMode } from './network/network.js';
export { WebTier, type WebTierProps, ALB_TLS_POLICY } from './web-tier/web-tier.js';
