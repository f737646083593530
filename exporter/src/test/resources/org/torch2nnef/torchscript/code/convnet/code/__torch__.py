class ConvNet(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  features : __torch__.torch.nn.modules.container.Sequential
  fc : __torch__.torch.nn.modules.linear.Linear
  def forward(self: __torch__.ConvNet,
    x: Tensor) -> Tensor:
    fc = self.fc
    features = self.features
    _0 = (features).forward(x, )
    _1 = ops.prim.NumToTensor(torch.size(_0, 0))
    input = torch.view(_0, [int(_1), -1])
    _2 = torch.log_softmax((fc).forward(input, ), 1)
    return _2
